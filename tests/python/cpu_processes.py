import multiprocessing
import time


def burn_cpu(seconds):
    """CPU work: spin until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def crunch(name):
    burn_cpu(0.4)
    print(f"{name} done")


if __name__ == "__main__":
    a = multiprocessing.Process(target=crunch, args=("a",))
    b = multiprocessing.Process(target=crunch, args=("b",))
    a.start()
    b.start()
    a.join()
    b.join()
    print("both done, in parallel")
