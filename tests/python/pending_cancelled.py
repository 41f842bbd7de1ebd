import asyncio


async def slow():
    print("slow started")
    await asyncio.sleep(1.0)
    print("slow finished")


async def main():
    asyncio.create_task(slow())
    await asyncio.sleep(0.2)
    print("main returns")


# asyncio.run cancels the task still pending when main returns: "slow finished" never prints.
asyncio.run(main())
