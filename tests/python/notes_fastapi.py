from fastapi import FastAPI
import asyncio
from concurrent.futures import ProcessPoolExecutor

app = FastAPI()
executor = ProcessPoolExecutor()

def cpu_task(n):
    return sum(i * i for i in range(n))

@app.get("/compute")
async def compute():
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(executor, cpu_task, 10_000_000)
    return {"result": result}
