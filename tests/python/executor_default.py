import asyncio
import time


def read_file(name):
    print(f"reading {name}")
    time.sleep(0.3)
    return name


async def main():
    loop = asyncio.get_running_loop()
    names = await asyncio.gather(
        loop.run_in_executor(None, read_file, "a.txt"),
        loop.run_in_executor(None, read_file, "b.txt"),
    )
    print(f"read {names}")


asyncio.run(main())
