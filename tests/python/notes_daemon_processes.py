from multiprocessing import Process
import time

def task():
    print("Task started")
    time.sleep(5)
    print("Task finished")

p1 = Process(target=task, daemon=True)
p2 = Process(target=task, daemon=False)

p1.start()
p2.start()

print("Main process exiting...")
