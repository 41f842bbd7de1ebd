"""ThreadPoolExecutor: 1,000 jobs of a 1 ms blocking sleep on 8 workers, awaited from asyncio
(bench/scenarios/threads-1k.json)."""
import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor


def block():
    time.sleep(0.001)


async def main():
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, block) for _ in range(1_000)))
    return time.perf_counter() - start


print(json.dumps({"wall_s": asyncio.run(main()), "ideal_s": 1_000 / 8 * 0.001}))
