module github.com/formaction/formaction

go 1.26.0

require (
	github.com/evanw/esbuild v0.28.2
	github.com/go-rod/rod v0.116.2
)

require (
	github.com/a-h/templ v0.3.977 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/ysmood/fetchup v0.2.3 // indirect
	github.com/ysmood/goob v0.4.0 // indirect
	github.com/ysmood/got v0.40.0 // indirect
	github.com/ysmood/gson v0.7.3 // indirect
	github.com/ysmood/leakless v0.9.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
