module github.com/formaction/formaction/e2e

go 1.26.0

replace github.com/formaction/formaction => ../

replace github.com/formaction/formaction/example => ../example

replace github.com/formaction/formaction/form => ../form

require (
	github.com/a-h/templ v0.3.1118
	github.com/formaction/formaction v0.0.0-00010101000000-000000000000
	github.com/formaction/formaction/example v0.0.0-00010101000000-000000000000
	github.com/formaction/formaction/form v0.0.0-00010101000000-000000000000
	github.com/go-rod/rod v0.116.2
	github.com/ysmood/gson v0.7.3
	golang.org/x/crypto v0.59.0
)

require (
	github.com/dustin/go-humanize v1.1.0 // indirect
	github.com/gabriel-vasile/mimetype v1.4.15 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.4 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/ncruces/go-strftime v1.1.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/ysmood/fetchup v0.2.3 // indirect
	github.com/ysmood/goob v0.4.0 // indirect
	github.com/ysmood/got v0.40.0 // indirect
	github.com/ysmood/leakless v0.9.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	modernc.org/libc v1.80.1 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
	modernc.org/sqlite v1.62.0 // indirect
)
