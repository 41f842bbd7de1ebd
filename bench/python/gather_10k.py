"""asyncio: gather of 10,000 tasks, each sleeping 10 ms (bench/scenarios/gather-10k.json)."""
import asyncio
import json
import time


async def nap():
    await asyncio.sleep(0.010)


async def main():
    start = time.perf_counter()
    await asyncio.gather(*(nap() for _ in range(10_000)))
    return time.perf_counter() - start


print(json.dumps({"wall_s": asyncio.run(main()), "ideal_s": 0.010}))
