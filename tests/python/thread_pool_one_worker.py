import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def job(name):
    time.sleep(0.2)
    print(f"{name} done")


async def main():
    loop = asyncio.get_running_loop()
    # One worker: the jobs queue and run one after the other (0.6 s).
    with ThreadPoolExecutor(max_workers=1) as pool:
        await asyncio.gather(
            loop.run_in_executor(pool, job, "first"),
            loop.run_in_executor(pool, job, "second"),
            loop.run_in_executor(pool, job, "third"),
        )


asyncio.run(main())
