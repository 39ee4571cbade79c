module github.com/formaction/formaction/form

go 1.25.0

replace github.com/formaction/formaction => ../

require (
	github.com/formaction/formaction v0.0.0-00010101000000-000000000000
	github.com/go-playground/validator/v10 v10.30.4
	github.com/google/go-cmp v0.7.0
	github.com/gorilla/schema v1.4.1
)

require (
	github.com/gabriel-vasile/mimetype v1.4.15 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
