import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def lookup(key):
    time.sleep(0.2)
    return {"key": key, "found": True}


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor() as pool:
        row = await loop.run_in_executor(pool, lookup, "alice")
    print(f"row: {row}")


asyncio.run(main())
