# Wrong: after the reply, sends 64 KiB blocks forever. verify stops
# reading at its cap and stops the program; it must get the flood's
# verdict every time, never a crash from a reset.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(input().encode("utf-8"))
print(s.recv(1024).decode("utf-8"), flush=True)
block = b"A" * 65536
while True:
    s.sendall(block)
