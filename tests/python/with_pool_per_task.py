import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def resize(name):
    time.sleep(0.2)
    return name


async def handle(batch):
    loop = asyncio.get_running_loop()
    # Each batch opens a pool of its own, and the `with` waits for its jobs.
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = await asyncio.gather(
            loop.run_in_executor(pool, resize, "small"),
            loop.run_in_executor(pool, resize, "large"),
        )
    print(f"{batch}: {done}")


async def main():
    await asyncio.gather(handle("batch 1"), handle("batch 2"))


asyncio.run(main())
