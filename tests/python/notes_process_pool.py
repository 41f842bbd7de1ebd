import asyncio
from concurrent.futures import ProcessPoolExecutor
import math

def heavy_cpu_task(n):
    print(f"Processing {n}...")
    return sum(math.sqrt(i) for i in range(n))

async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:
        results = await asyncio.gather(
            loop.run_in_executor(pool, heavy_cpu_task, 10_000_000),
            loop.run_in_executor(pool, heavy_cpu_task, 12_000_000),
        )
    print("Results:", results)

asyncio.run(main())
