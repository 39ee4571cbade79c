module github.com/formaction/formaction

go 1.25
