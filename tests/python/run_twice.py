import asyncio


async def phase(name):
    await asyncio.sleep(0.2)
    print(f"{name} done")


asyncio.run(phase("first"))
print("between the loops")
asyncio.run(phase("second"))
