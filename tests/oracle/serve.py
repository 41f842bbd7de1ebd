"""The oracle for programs with a FastAPI app: serves the program's `app` with uvicorn on
loopback and sends it the requests looplab's scenario for the program describes (argv[2],
JSON: path, at_ms, every_ms, count), each from a thread of its own at its time, as looplab's
server receives them. What the program prints goes to stdout; at the end, one JSON line on
stderr: the seconds from the first arrival to the last answer, and each request's latency."""
import asyncio
import builtins
import http.client
import importlib.util
import json
import socket
import sys
import threading
import time

import uvicorn


def get(port, path, scheduled, latencies):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path)
    conn.getresponse().read()
    latencies.append(time.perf_counter() - scheduled)
    conn.close()


def client(server, port, traffic):
    while not server.started:
        time.sleep(0.001)
    arrivals = sorted(
        (t["at_ms"] / 1000 + k * t["every_ms"] / 1000, t["path"])
        for t in traffic
        for k in range(t["count"])
    )
    latencies = []
    threads = []
    start = time.perf_counter()
    for at, path in arrivals:
        delay = start + at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=get, args=(port, path, start + at, latencies))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": wall, "latencies_s": sorted(latencies)}), file=sys.stderr)
    server.should_exit = True


_print = builtins.print
_lock = threading.Lock()


def print_line(*args, sep=" ", end="\n", file=None, flush=False):
    """As run.py: each print's line in one piece."""
    text = sep.join(str(a) for a in args) + end
    with _lock:
        _print(text, end="", file=file, flush=flush)


def main():
    builtins.print = print_line
    path, traffic = sys.argv[1], json.loads(sys.argv[2])
    spec = importlib.util.spec_from_file_location("program", path)
    program = importlib.util.module_from_spec(spec)
    # A process pool's workers find the program's functions by module name.
    sys.modules["program"] = program
    spec.loader.exec_module(program)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    config = uvicorn.Config(program.app, log_level="error", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    threading.Thread(target=client, args=(server, sock.getsockname()[1], traffic), daemon=True).start()
    asyncio.run(server.serve(sockets=[sock]))


main()
