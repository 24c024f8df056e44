package content

// LoadDir exposes loadDir to the tests of content_test.
var LoadDir = loadDir
