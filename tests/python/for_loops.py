import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(max_workers=2)


def job(n):
    for i in range(2):
        time.sleep(0.05)
    return n


async def ticker(name):
    for i in range(3):
        await asyncio.sleep(0.1)
        print(f"{name} tick {i}")


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.gather(ticker("a"), ticker("b"))
    for i in range(2):
        done = await loop.run_in_executor(pool, job, i)
        print(f"job {done}")


for i in range(2):
    print(f"module {i}")
asyncio.run(main())
