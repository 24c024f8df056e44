// Never binds, connects or exits.
package main

import "time"

func main() { time.Sleep(time.Hour) }
