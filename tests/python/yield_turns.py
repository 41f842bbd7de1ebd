# Two coroutines that each give the loop a turn after every line: `await asyncio.sleep(0)`
# sets no timer, so their lines alternate, and all of it takes no time.
import asyncio


async def worker(name):
    for i in range(3):
        print(f"{name} step {i}")
        await asyncio.sleep(0)
    return name


async def main():
    done = await asyncio.gather(worker("a"), worker("b"))
    print(done)


asyncio.run(main())
