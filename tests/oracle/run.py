"""Runs a program as `python3 PROGRAM` would, with one difference: each print writes its
line in one piece. CPython's own print writes the text and the newline separately, so two
threads printing at once can interleave ("Worker startedMain program exiting...") — a race
of bytes, not of lines, which the comparison with looplab is not about."""
import builtins
import runpy
import sys
import threading

_print = builtins.print
_lock = threading.Lock()


def print_line(*args, sep=" ", end="\n", file=None, flush=False):
    text = sep.join(str(a) for a in args) + end
    with _lock:
        _print(text, end="", file=file, flush=flush)


def main():
    builtins.print = print_line
    program = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(program, run_name="__main__")


main()
