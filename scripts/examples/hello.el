#!/usr/bin/env -S chainit execlineb -P
# The smallest script. Prints:
#   hello, world
#   the greeting exited 0
foreground { echo hello, world }
importas -u code ?
echo the greeting exited ${code}
