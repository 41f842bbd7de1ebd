import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def burn_cpu(seconds):
    """CPU work: spin until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def job(name):
    print(f"{name} started")
    burn_cpu(1)
    print(f"{name} finished")


async def main():
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2) as pool:
        await asyncio.gather(
            loop.run_in_executor(pool, job, "Job-A"),
            loop.run_in_executor(pool, job, "Job-B"),
        )


if __name__ == "__main__":
    asyncio.run(main())
