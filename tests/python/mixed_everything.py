import asyncio
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def burn_cpu(seconds):
    """CPU work: spin until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def blocking(name):
    time.sleep(0.2)
    return f"{name} read"


def compute(n):
    burn_cpu(0.2)
    return n


def watcher():
    time.sleep(0.5)
    print("watcher done")


async def fetch(url):
    await asyncio.sleep(0.1)
    return url


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2) as threads:
        with ProcessPoolExecutor(max_workers=2) as processes:
            results = await asyncio.gather(
                fetch("a"),
                loop.run_in_executor(threads, blocking, "disk"),
                loop.run_in_executor(processes, compute, 3),
            )
    print(results)


if __name__ == "__main__":
    w = threading.Thread(target=watcher)
    w.start()
    asyncio.run(main())
    print("main done")
