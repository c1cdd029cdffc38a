#!/usr/bin/env -S chainit execlineb -P
# Environment → substitution, with a default and splitting. Prints:
#   user=nobody
#   [a] [b] [c]
importas -D nobody user USER_FOR_DEMO
foreground { echo user=${user} }
define -s words "a b c"
foreground { printf "[%s] " ${words} }
echo
