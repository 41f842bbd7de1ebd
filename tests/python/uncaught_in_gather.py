import asyncio


async def fetch(n):
    await asyncio.sleep(0.1)
    print(f"fetched {n}")


async def broken():
    await asyncio.sleep(0.2)
    print("broken raises")
    raise ValueError("boom")


async def main():
    print("gathering")
    await asyncio.gather(fetch(1), broken(), fetch(2))
    print("not printed")


asyncio.run(main())
