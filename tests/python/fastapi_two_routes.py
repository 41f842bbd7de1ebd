# looplab: traffic("/", count=8, every=0.1)
# looplab: traffic("/report", count=1, at=0.15)
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI

app = FastAPI()
executor = ThreadPoolExecutor(max_workers=2)


def render():
    time.sleep(0.4)
    return "pdf"


@app.get("/")
async def index():
    await asyncio.sleep(0.01)
    return {"ok": True}


@app.get("/report")
async def report():
    print("rendering")
    loop = asyncio.get_running_loop()
    pdf = await loop.run_in_executor(executor, render)
    print("rendered")
    return {"report": pdf}
