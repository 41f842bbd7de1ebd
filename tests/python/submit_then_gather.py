import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

pool = ThreadPoolExecutor(max_workers=4)


def query(table):
    time.sleep(0.25)
    return table


async def main():
    loop = asyncio.get_running_loop()
    users = loop.run_in_executor(pool, query, "users")
    orders = loop.run_in_executor(pool, query, "orders")
    print("both queries sent")
    await asyncio.sleep(0.1)
    print("still waiting")
    results = await asyncio.gather(users, orders)
    print(results)


asyncio.run(main())
