module github.com/formaction/formaction/example

go 1.26.0

replace github.com/formaction/formaction => ../

require (
	github.com/formaction/formaction v0.0.0-00010101000000-000000000000
	golang.org/x/crypto v0.59.0
)
