import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

def blocking_task(name):
    print(f"{name} started (blocking)")
    time.sleep(3)
    print(f"{name} finished (blocking)")

async def main():
    loop = asyncio.get_running_loop()

    # Create a thread pool
    with ThreadPoolExecutor() as pool:
        # Run blocking tasks in threads
        task1 = loop.run_in_executor(pool, blocking_task, "Thread-1")
        task2 = loop.run_in_executor(pool, blocking_task, "Thread-2")

        await asyncio.gather(task1, task2)

asyncio.run(main())
