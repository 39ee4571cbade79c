package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// User is a registered user.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// store keeps users and sessions in memory: the demo forgets everything
// when it stops.
type store struct {
	mu       sync.Mutex
	cost     int
	users    map[string]account // by email
	sessions map[string]string  // session id → email
}

type account struct {
	User
	hash []byte
}

var (
	errExists      = errors.New("a user with this email exists")
	errCredentials = errors.New("invalid credentials")
)

func newStore(cost int) *store {
	return &store{cost: cost, users: map[string]account{}, sessions: map[string]string{}}
}

// register creates a user named after the part of the email before the @.
func (s *store) register(email, password string) (User, error) {
	name, _, _ := strings.Cut(email, "@")
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return s.create(name, email, password)
}

// create adds a user, unless one has the email already.
func (s *store) create(name, email, password string) (User, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return User{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[email]; ok {
		return User{}, errExists
	}
	u := User{Name: name, Email: email}
	s.users[email] = account{User: u, hash: hash}
	return u, nil
}

func (s *store) authenticate(email, password string) (User, error) {
	s.mu.Lock()
	a, ok := s.users[email]
	s.mu.Unlock()
	if !ok {
		// Spend the same time as a wrong password, so timing does not tell
		// which emails are registered.
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, errCredentials
	}
	if bcrypt.CompareHashAndPassword(a.hash, []byte(password)) != nil {
		return User{}, errCredentials
	}
	return a.User, nil
}

// rename changes the display name of the user with email.
func (s *store) rename(email, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.users[email]; ok {
		a.Name = name
		s.users[email] = a
	}
}

// setPassword replaces the password of the user with email.
func (s *store) setPassword(email, password string) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.users[email]; ok {
		a.hash = hash
		s.users[email] = a
	}
	return nil
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.MinCost)

func (s *store) newSession(email string) string {
	b := make([]byte, 32)
	rand.Read(b)
	id := hex.EncodeToString(b)
	s.mu.Lock()
	s.sessions[id] = email
	s.mu.Unlock()
	return id
}

func (s *store) sessionUser(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	email, ok := s.sessions[id]
	if !ok {
		return User{}, false
	}
	a, ok := s.users[email]
	return a.User, ok
}

func (s *store) endSession(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}
