import asyncio

accounts = asyncio.Lock()
ledger = asyncio.Lock()


async def transfer():
    async with accounts:
        print("transfer holds accounts")
        await asyncio.sleep(0.1)
        async with ledger:
            print("transfer holds both")


async def audit():
    async with accounts:
        print("audit holds accounts")
        await asyncio.sleep(0.1)
        async with ledger:
            print("audit holds both")


async def main():
    await asyncio.gather(transfer(), audit())
    print("both done")


asyncio.run(main())
