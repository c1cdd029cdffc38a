#!/usr/bin/env -S chainit execlineb -S2
# Positional parameters substituted at parse time (-S2). Run with two words:
#   chainit execlineb -S2 arguments.el first second
# Prints:
#   2 arguments: first and second
echo $# arguments: $1 and $2
