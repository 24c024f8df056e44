package content

// LoadDir exposes loadDir to the tests of content_test.
var LoadDir = loadDir

// GoldmarkDepth is gmDeepest for the external tests (FuzzDepthBound).
var GoldmarkDepth = gmDeepest
