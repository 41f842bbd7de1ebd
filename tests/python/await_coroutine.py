import asyncio


async def step(name):
    print(f"{name} begins")
    await asyncio.sleep(0.15)
    print(f"{name} ends")


async def main():
    # Awaiting coroutines one by one runs them one after the other: 0.45 s, not 0.15 s.
    await step("first")
    await step("second")
    await step("third")


asyncio.run(main())
