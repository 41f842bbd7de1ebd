# looplab: traffic("/", count=18, every=0.1)
# looplab: traffic("/compute", count=1, at=0.1)
import asyncio
import time
from concurrent.futures import ProcessPoolExecutor

from fastapi import FastAPI


def burn_cpu(seconds):
    """CPU work: spin until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


app = FastAPI()
executor = ProcessPoolExecutor(max_workers=1)


def compute():
    burn_cpu(1.5)


@app.get("/")
async def index():
    await asyncio.sleep(0.002)
    return "ok"


@app.get("/compute")
async def compute_endpoint():
    loop = asyncio.get_running_loop()
    print("Compute started")
    await loop.run_in_executor(executor, compute)
    print("Compute finished")
