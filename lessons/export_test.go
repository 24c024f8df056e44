package lessons

// Lookup and YourTurn let the external tests reach what only they need.
var Lookup = lookup

// YourTurn reports whether sp, run on a socket the learner plays from
// another terminal, is left to them with the note "peer.your-turn.ACTION".
func YourTurn(sp *Spec) bool { return sp.yourTurn() }
