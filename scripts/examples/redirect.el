#!/usr/bin/env -S chainit execlineb -P
# fd plumbing as run scripts do it. Prints:
#   written to a file
#   stderr joins stdout
foreground { redirfd -w 1 /tmp/chainit-demo.txt echo written to a file }
foreground { redirfd -r 0 /tmp/chainit-demo.txt cat }
fdmove -c 2 1
sh -c "echo stderr joins stdout >&2"
