# Wrong: prints the address tuple and the undecoded bytes, as the notes do.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
data, addr = s.recvfrom(1024)
print(addr, data.decode("utf-8"))
s.close()
