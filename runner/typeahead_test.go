//go:build linux || darwin

package runner

import (
	"context"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// TestTypeaheadDiscarded plays a learner who pressed Enter while a call
// blocked: the key reaches the terminal before the next prompt is drawn.
// The prompt must wait for a key pressed in answer to it, so the choice
// is the one typed afterwards (the second option), not the default that
// the early Enter would have picked.
func TestTypeaheadDiscarded(t *testing.T) {
	if err := localiseSelectHint(); err != nil {
		t.Fatal(err)
	}
	c, stdio := newConsole(t)
	p := surveyPrompter{cat: content.Text(content.English), stdio: stdio}

	c.send(keyEnter) // typed during the "blocking call", before the prompt
	type result struct {
		choice string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		ch, err := p.choose(context.Background(), "prompt.what-next", nil,
			[]string{choiceRun, choiceExplain}, choiceRun)
		got <- result{ch, err}
	}()
	c.choose(1)
	r := <-got
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.choice != choiceExplain {
		t.Errorf("the prompt took %q: an Enter typed before it was drawn answered it", r.choice)
	}
}
