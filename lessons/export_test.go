package lessons

// Lookup returns the spec of an action; only tests need it.
func Lookup(action string) (*Spec, bool) {
	sp, ok := specs[action]
	return sp, ok
}

// YourTurn reports whether sp, run on a socket the learner plays from
// another terminal, is left to them with the note "peer.your-turn.ACTION".
func YourTurn(sp *Spec) bool { return sp.yourTurn() }
