package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo, no server
)

// User is a registered user.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// sessionLifetime is how long a session lasts unused: each use renews it.
const sessionLifetime = 30 * 24 * time.Hour

// renewAfter is how old a session's expiry may get before a use renews
// it: once a day, not on every request, which would write to the database
// on every page view.
const renewAfter = 24 * time.Hour

// schema is created when the demo starts; IF NOT EXISTS keeps what an
// earlier run stored. Sessions are kept by the SHA-256 of their id, so
// that someone who reads the database (a backup, a leaked file) cannot
// use the sessions in it.
const schema = `
CREATE TABLE IF NOT EXISTS users (
	email TEXT PRIMARY KEY,
	name  TEXT NOT NULL,
	hash  BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
	hash    BLOB PRIMARY KEY,
	email   TEXT NOT NULL REFERENCES users(email) ON DELETE CASCADE,
	expires INTEGER NOT NULL -- Unix seconds
);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions(expires);
`

// OpenDB opens the SQLite database in the file at path, creating the file
// if need be. The pragmas apply to every connection the pool opens:
// foreign keys (off by default in SQLite), a write-ahead log so that
// readers do not wait for a writer, and a wait instead of an immediate
// "database is locked" when two writers meet.
func OpenDB(path string) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// store keeps users and sessions in the database.
type store struct {
	db   *sql.DB
	cost int
	now  func() time.Time
	// dummyHash is compared against when an email is unknown. It has the
	// cost real hashes have, so that a login for an unknown email takes as
	// long as a wrong password for a known one and timing does not tell
	// which emails are registered.
	dummyHash []byte
}

var (
	errExists      = errors.New("a user with this email exists")
	errCredentials = errors.New("invalid credentials")
)

func newStore(ctx context.Context, db *sql.DB, cost int, now func() time.Time) (*store, error) {
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return nil, fmt.Errorf("create the schema: %w", err)
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("not anyone's password"), cost)
	if err != nil {
		return nil, err
	}
	return &store{db: db, cost: cost, now: now, dummyHash: dummy}, nil
}

// register creates a user named after the part of the email before the @.
func (s *store) register(ctx context.Context, email, password string) (User, error) {
	name, _, _ := strings.Cut(email, "@")
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return s.create(ctx, name, email, password)
}

// create adds a user, unless one has the email already.
func (s *store) create(ctx context.Context, name, email, password string) (User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return User{}, err
	}
	// ON CONFLICT DO NOTHING, then counting the rows, tells "exists" apart
	// from other errors without parsing the driver's messages.
	res, err := s.db.ExecContext(ctx, `INSERT INTO users (email, name, hash) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING`, email, name, hash)
	if err != nil {
		return User{}, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return User{}, err
	} else if n == 0 {
		return User{}, errExists
	}
	return User{Name: name, Email: email}, nil
}

// exists reports whether a user has the email.
func (s *store) exists(ctx context.Context, email string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM users WHERE email = ?`, email).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// authenticate returns the user with email if password is theirs, and
// errCredentials otherwise, having done the same bcrypt work either way.
func (s *store) authenticate(ctx context.Context, email, password string) (User, error) {
	u := User{Email: email}
	var hash []byte
	err := s.db.QueryRowContext(ctx, `SELECT name, hash FROM users WHERE email = ?`, email).Scan(&u.Name, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return User{}, errCredentials
	}
	if err != nil {
		return User{}, err
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil {
		return User{}, errCredentials
	}
	return u, nil
}

// rename changes the display name of the user with email.
func (s *store) rename(ctx context.Context, email, name string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET name = ? WHERE email = ?`, name, email)
	return err
}

// setPassword replaces the password of the user with email and ends
// their other sessions, all but the session keep: whoever signed in
// elsewhere with the old password (a stolen one, say) is signed out.
func (s *store) setPassword(ctx context.Context, email, password, keep string) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET hash = ? WHERE email = ?`, hash, email); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE email = ? AND hash != ?`, email, sessionKey(keep)); err != nil {
		return err
	}
	return tx.Commit()
}

// sessionKey is what the database keeps of a session id.
func sessionKey(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

// newSession starts a session for the user with email and returns its id,
// 128 random bits from crypto/rand. Sessions that have expired are
// deleted on the way, so the table does not grow for ever.
func (s *store) newSession(ctx context.Context, email string) (string, error) {
	now := s.now()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= ?`, now.Unix()); err != nil {
		return "", err
	}
	id := rand.Text()
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (hash, email, expires) VALUES (?, ?, ?)`,
		sessionKey(id), email, now.Add(sessionLifetime).Unix())
	return id, err
}

// sessionUser returns the user of the session id, if it has not expired,
// and renews the session when its expiry is more than renewAfter old.
// renewed says so, for the caller to renew the cookie too.
func (s *store) sessionUser(ctx context.Context, id string) (u User, renewed, ok bool, err error) {
	now := s.now()
	var expires int64
	err = s.db.QueryRowContext(ctx, `SELECT u.name, u.email, s.expires FROM sessions s JOIN users u ON u.email = s.email
		WHERE s.hash = ? AND s.expires > ?`, sessionKey(id), now.Unix()).Scan(&u.Name, &u.Email, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, false, false, nil
	}
	if err != nil {
		return User{}, false, false, err
	}
	if next := now.Add(sessionLifetime); next.Unix()-expires > int64(renewAfter/time.Second) {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET expires = ? WHERE hash = ?`, next.Unix(), sessionKey(id)); err != nil {
			return User{}, false, false, err
		}
		renewed = true
	}
	return u, renewed, true, nil
}

// endSession deletes the session id.
func (s *store) endSession(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, sessionKey(id))
	return err
}
