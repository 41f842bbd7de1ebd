"""ProcessPoolExecutor: 100 CPU jobs of 5 ms of CPU time on 2 worker processes, awaited from
asyncio (bench/scenarios/processes-100.json)."""
import asyncio
import json
import time
from concurrent.futures import ProcessPoolExecutor


def crunch():
    # 5 ms of this process's CPU time, as looplab's `cpu` step measures it.
    end = time.process_time() + 0.005
    while time.process_time() < end:
        pass


async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, crunch) for _ in range(100)))
    return time.perf_counter() - start


if __name__ == "__main__":
    print(json.dumps({"wall_s": asyncio.run(main()), "ideal_s": 100 / 2 * 0.005}))
