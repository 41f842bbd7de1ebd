import asyncio


async def leaf(name):
    await asyncio.sleep(0.1)
    print(f"{name} done")


async def left():
    print("left branch")
    await asyncio.gather(leaf("left.1"), leaf("left.2"))


async def right():
    await asyncio.sleep(0.3)
    print("right branch")
    await leaf("right.1")


async def main():
    await asyncio.gather(left(), right())
    print("tree done")


asyncio.run(main())
