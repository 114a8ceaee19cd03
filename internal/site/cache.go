package site

import (
	"encoding/json"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/foil-slides/foil/internal/outfile"
)

// cacheVersion changes when the cache file's meaning does; a cache of
// another version is ignored (everything is rebuilt once).
const cacheVersion = 2

// entry is what the cache remembers of a deck: the key its outputs were
// made from and the folder they are in.
type entry struct {
	Key   string   `json:"key"`
	Slug  string   `json:"slug"`
	Files []string `json:"files,omitempty"` // read for the deck besides itself, relative to Src

	// What the index shows, so that an up-to-date deck is not parsed.
	Title    string `json:"title"`
	Subtitle string `json:"subtitle,omitempty"`
	Date     string `json:"date,omitempty"`
	Author   string `json:"author,omitempty"`
	Slides   int    `json:"slides"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
}

type cacheFile struct {
	Version int              `json:"version"`
	Decks   map[string]entry `json:"decks"` // by path inside Src
}

// cache is Out/.foil-cache.json: the entries of the last build and those
// of this one.
type cache struct {
	mu   sync.Mutex
	prev map[string]entry
	next map[string]entry
}

// readCache reads the cache file; a missing or unreadable one is empty:
// the worst outcome is a full rebuild.
func readCache(name string) *cache {
	c := &cache{prev: map[string]entry{}, next: map[string]entry{}}
	data, err := os.ReadFile(name)
	if err != nil {
		return c
	}
	var f cacheFile
	if json.Unmarshal(data, &f) == nil && f.Version == cacheVersion && f.Decks != nil {
		c.prev = f.Decks
	}
	return c
}

// last returns the deck's entry from the last build.
func (c *cache) last(rel string) (entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.prev[rel]
	return e, ok
}

// keep carries the deck's entry over from the last build.
func (c *cache) keep(rel string) (entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.prev[rel]
	if ok {
		c.next[rel] = e
	}
	return e, ok
}

func (c *cache) set(rel string, e entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next[rel] = e
}

// hasSlug reports whether the last build made the folder slug.
func (c *cache) hasSlug(slug string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.prev {
		if e.Slug == slug {
			return true
		}
	}
	return false
}

// oldSlugs returns the folders the last build made, sorted.
func (c *cache) oldSlugs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s []string
	for _, e := range c.prev {
		s = append(s, e.Slug)
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// write saves this build's entries atomically.
func (c *cache) write(name string) error {
	c.mu.Lock()
	data, err := json.MarshalIndent(cacheFile{Version: cacheVersion, Decks: c.next}, "", "\t")
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return outfile.Write(name, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}
