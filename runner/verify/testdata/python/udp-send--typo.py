# Wrong, as in the notes: a constant that does not exist.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRM)
