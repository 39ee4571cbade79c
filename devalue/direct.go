package devalue

import (
	"math"
	"reflect"
	"strconv"
)

// direct decodes slots straight into typed Go values, skipping the
// lossless model for the common shapes: structs from objects, slices from
// plain arrays, maps with string keys, pointers, strings, numbers,
// booleans and Dates. Anything else goes through the model and assign.
type direct struct {
	h    *hydrator
	a    *assigner
	made map[directKey]reflect.Value // pointers, maps and slices made for a slot
}

type directKey struct {
	slot int
	typ  reflect.Type
}

func (d *direct) decode(dst reflect.Value, i, depth int) error {
	if depth > d.h.maxDepth {
		return &Error{Msg: "values nest more than " + strconv.Itoa(d.h.maxDepth) + " deep"}
	}
	t := dst.Type()
	if i < 0 || isUnmarshaler(t) {
		return d.viaModel(dst, i, depth)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if knownTypes[t] {
			break
		}
		key := directKey{i, t}
		if p, ok := d.made[key]; ok {
			dst.Set(p)
			return nil
		}
		if k := d.h.kindAt(i); k == jsonNull {
			dst.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		d.made[key] = p
		dst.Set(p)
		return d.decode(p.Elem(), i, depth+1)
	case reflect.String, reflect.Bool, reflect.Float64, reflect.Float32,
		reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8,
		reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		if t.PkgPath() != "" && t.Kind() != reflect.String && t.Kind() != reflect.Bool {
			break // named numbers (time.Duration, …) may mean more: use assign
		}
		v, err := d.h.hydrate(i, depth)
		if err != nil {
			return err
		}
		switch x := v.(type) {
		case string:
			if t.Kind() == reflect.String {
				dst.SetString(x)
				return nil
			}
		case bool:
			if t.Kind() == reflect.Bool {
				dst.SetBool(x)
				return nil
			}
		case float64:
			switch t.Kind() {
			case reflect.Float64:
				dst.SetFloat(x)
				return nil
			case reflect.Int, reflect.Int64:
				if x == math.Trunc(x) && math.Abs(x) <= maxSafeInteger {
					dst.SetInt(int64(x))
					return nil
				}
			}
		}
		return d.a.assign(dst, v, depth)
	case reflect.Struct:
		if knownTypes[t] || t == timeType {
			break
		}
		// Slots parse into the hydrator's arena; give the space back when
		// this value is done, as hydrate does.
		mark := len(d.h.parser.arena)
		defer func() { d.h.parser.arena = d.h.parser.arena[:mark] }()
		slot := d.h.slot(i)
		if slot.kind != jsonObject {
			break
		}
		info := cachedFields(t)
		for n := 0; n < len(slot.arr); n += 2 {
			k := slot.arr[n].str
			if k == "__proto__" {
				return &Error{Msg: "Cannot parse an object with a `__proto__` property"}
			}
			f := info.byName[k]
			if f == nil {
				continue // unknown keys are ignored; case-folded matches go through assign below
			}
			j, err := d.h.index(slot.arr[n+1])
			if err != nil {
				return within(err, keySegment(k))
			}
			fv, err := fieldForSet(dst, f.index)
			if err != nil {
				return within(err, keySegment(k))
			}
			if err := d.decode(fv, j, depth+1); err != nil {
				return within(err, keySegment(k))
			}
		}
		if len(slot.arr)/2 != len(info.byName) {
			return d.caseFolded(dst, slot, info, depth)
		}
		return nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			break
		}
		key := directKey{i, t}
		if s, ok := d.made[key]; ok {
			dst.Set(s)
			return nil
		}
		mark := len(d.h.parser.arena)
		defer func() { d.h.parser.arena = d.h.parser.arena[:mark] }()
		slot := d.h.slot(i)
		if slot.kind == jsonNull {
			dst.SetZero()
			return nil
		}
		if slot.kind != jsonArray || len(slot.arr) > 0 && (slot.arr[0].kind == jsonString || slot.arr[0].num == idxSparse) {
			break
		}
		s := reflect.MakeSlice(t, len(slot.arr), len(slot.arr))
		d.made[key] = s
		dst.Set(s)
		for n, e := range slot.arr {
			if e.kind == jsonNumber && e.num == idxHole {
				continue
			}
			j, err := d.h.index(e)
			if err != nil {
				return within(err, "["+strconv.Itoa(n)+"]")
			}
			if err := d.decode(s.Index(n), j, depth+1); err != nil {
				return within(err, "["+strconv.Itoa(n)+"]")
			}
		}
		return nil
	}
	return d.viaModel(dst, i, depth)
}

// caseFolded fills the fields an object names only up to case, which the
// exact-name pass skipped.
func (d *direct) caseFolded(dst reflect.Value, slot jsonValue, info *structInfo, depth int) error {
	o := &Object{}
	for n := 0; n < len(slot.arr); n += 2 {
		k := slot.arr[n].str
		if info.byName[k] != nil {
			continue
		}
		j, err := d.h.index(slot.arr[n+1])
		if err != nil {
			return within(err, keySegment(k))
		}
		v, err := d.h.hydrate(j, depth+1)
		if err != nil {
			return within(err, keySegment(k))
		}
		o.entries = append(o.entries, objectEntry{k, v})
	}
	if len(o.entries) == 0 {
		return nil
	}
	return d.a.assign(dst, o, depth)
}

// viaModel decodes slot i through the lossless model.
func (d *direct) viaModel(dst reflect.Value, i, depth int) error {
	v, err := d.h.hydrate(i, depth)
	if err != nil {
		return err
	}
	return d.a.assign(dst, v, depth)
}

// kindAt is the JSON kind of a slot, or of what a sentinel stands for.
func (h *hydrator) kindAt(i int) jsonKind {
	if i < 0 {
		return jsonNumber
	}
	p := jsonParser{data: h.data, pos: int(h.offsets[i])}
	switch c := p.data[p.pos]; {
	case c == 'n':
		return jsonNull
	case c == '{':
		return jsonObject
	case c == '[':
		return jsonArray
	case c == '"':
		return jsonString
	}
	return jsonNumber
}
