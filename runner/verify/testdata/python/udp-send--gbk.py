# Wrong: encodes each line as GBK.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in sys.stdin:
    line = line.rstrip("\n")
    if line == "exit":
        break
    s.sendto(line.encode("gbk"), (sys.argv[1], int(sys.argv[2])))
s.close()
