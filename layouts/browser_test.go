package layouts_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"

	"github.com/foil-slides/foil/render"
	"github.com/foil-slides/foil/render/chromium/chromiumtest"
)

// Browser tests of foil.js: a real Chromium presses keys, swipes and clicks
// in a deck rendered to a file and opened from its file:// URL, and reads
// the DOM. One browser serves every subtest.

// renderExample renders examples/NAME.md to a temp folder and returns the
// HTML file's file:// URL.
func renderExample(t *testing.T, name string) string {
	t.Helper()
	in := filepath.Join("..", "examples", name+".md")
	src, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Dir: filepath.Dir(in)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, _, err := r.Build(&buf, in, src); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), name+".html")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: out}).String()
}

// eval runs a JS expression in p and decodes its value into v.
func eval(t *testing.T, p *rod.Page, js string, v any) {
	t.Helper()
	res, err := p.Timeout(5 * time.Second).Eval(`() => JSON.stringify(` + js + `)`)
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	if err := json.Unmarshal([]byte(res.Value.Str()), v); err != nil {
		t.Fatalf("eval %s: %v (%s)", js, err, res.Value.Str())
	}
}

func evalStr(t *testing.T, p *rod.Page, js string) string {
	t.Helper()
	var s string
	eval(t, p, js, &s)
	return s
}

func evalInt(t *testing.T, p *rod.Page, js string) int {
	t.Helper()
	var n int
	eval(t, p, js, &n)
	return n
}

// waitFor polls the JS condition cond in p until it is true or 5s passed.
func waitFor(t *testing.T, p *rod.Page, cond string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ok bool
		eval(t, p, "!!("+cond+")", &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", cond)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// press types keys into p: rod's named keys or single characters.
func press(t *testing.T, p *rod.Page, keys ...input.Key) {
	t.Helper()
	if err := p.Timeout(5 * time.Second).Keyboard.Type(keys...); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, b *rod.Browser, u string) *rod.Page {
	t.Helper()
	p, err := b.Timeout(10 * time.Second).Page(proto.TargetCreateTarget{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if err := p.Timeout(10 * time.Second).WaitLoad(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p, "window.foil")
	return p
}

func hash(t *testing.T, p *rod.Page) string { return evalStr(t, p, "location.hash") }

func TestBrowser(t *testing.T) {
	b := chromiumtest.Launch(t)
	deck := renderExample(t, "sre-muc-2023-02")

	t.Run("keys", func(t *testing.T) {
		p := open(t, b, deck)
		total := evalInt(t, p, "foil.total()")
		tests := []struct {
			name string
			keys []input.Key
			want int
		}{
			{"right", []input.Key{input.ArrowRight}, 2},
			{"space", []input.Key{input.Space}, 3},
			{"pagedown", []input.Key{input.PageDown}, 4},
			{"left", []input.Key{input.ArrowLeft}, 3},
			{"pageup", []input.Key{input.PageUp}, 2},
			{"end", []input.Key{input.End}, total},
			{"past the end", []input.Key{input.ArrowRight}, total},
			{"home", []input.Key{input.Home}, 1},
			{"jump 12", []input.Key{'1', '2', input.Enter}, 12},
			{"jump 0 stays", []input.Key{'0', input.Enter}, 12},
			{"jump cancelled", []input.Key{'5', input.Escape}, 12},
			{"jump past the end", []input.Key{'9', '9', input.Enter}, total},
		}
		for _, tt := range tests {
			press(t, p, tt.keys...)
			if got, want := hash(t, p), "#"+strconv.Itoa(tt.want); got != want {
				t.Errorf("%s: hash = %q, want %q", tt.name, got, want)
			}
			if got := evalInt(t, p, "foil.current()"); got != tt.want {
				t.Errorf("%s: current() = %d, want %d", tt.name, got, tt.want)
			}
			if got := evalStr(t, p, "document.querySelector('section.slide.current').id"); got != "slide-"+strconv.Itoa(tt.want) {
				t.Errorf("%s: showing %q, want slide-%d", tt.name, got, tt.want)
			}
		}
		press(t, p, input.Home)
		if got, want := evalStr(t, p, "document.querySelector('.foil-live').textContent"), "Slide 1 of "+strconv.Itoa(total)+": SRE-MUC Meetup"; got != want {
			t.Errorf("live region = %q, want %q", got, want)
		}
		press(t, p, input.ArrowRight)
		if got, want := evalStr(t, p, "document.querySelector('.foil-live').textContent"), "Slide 2 of "+strconv.Itoa(total)+": Agenda"; got != want {
			t.Errorf("live region = %q, want %q", got, want)
		}
		if got := evalStr(t, p, "document.querySelector('.foil-progress > div').style.width"); !strings.HasSuffix(got, "%") || got == "0%" {
			t.Errorf("progress width = %q", got)
		}
	})

	t.Run("hash survives reload", func(t *testing.T) {
		p := open(t, b, deck+"#7")
		if got := evalInt(t, p, "foil.current()"); got != 7 {
			t.Fatalf("opened at #7: current() = %d", got)
		}
		press(t, p, input.ArrowRight)
		if err := p.Reload(); err != nil {
			t.Fatal(err)
		}
		p.Timeout(10 * time.Second).WaitLoad()
		waitFor(t, p, "window.foil")
		if got := evalInt(t, p, "foil.current()"); got != 8 {
			t.Errorf("after reload current() = %d, want 8", got)
		}
	})

	t.Run("overview", func(t *testing.T) {
		p := open(t, b, deck+"#3")
		press(t, p, 'o')
		waitFor(t, p, "document.documentElement.classList.contains('overview')")
		visible := evalInt(t, p, "[...document.querySelectorAll('main.deck > section.slide')].filter(s => s.getBoundingClientRect().width > 0).length")
		if visible < 10 {
			t.Errorf("overview shows %d slides, want all", visible)
		}
		// Slides must be tiles, not full canvases.
		if w := evalInt(t, p, "Math.round(document.getElementById('slide-5').getBoundingClientRect().width * getComputedStyle(document.getElementById('slide-5')).zoom)"); w > 640 {
			t.Errorf("tile width %d, want a small tile", w)
		}
		el, err := p.Timeout(5 * time.Second).Element("#slide-5")
		if err != nil {
			t.Fatal(err)
		}
		if err := el.Timeout(5*time.Second).Click(proto.InputMouseButtonLeft, 1); err != nil {
			t.Fatal(err)
		}
		waitFor(t, p, "!document.documentElement.classList.contains('overview')")
		if got := hash(t, p); got != "#5" {
			t.Errorf("click in overview: hash = %q, want #5", got)
		}
		press(t, p, 'o')
		waitFor(t, p, "document.documentElement.classList.contains('overview')")
		press(t, p, input.Escape)
		waitFor(t, p, "!document.documentElement.classList.contains('overview')")
		if got := hash(t, p); got != "#5" {
			t.Errorf("Esc in overview: hash = %q, want #5", got)
		}
	})

	t.Run("blackout and help", func(t *testing.T) {
		p := open(t, b, deck)
		black := "getComputedStyle(document.querySelector('.foil-black')).display"
		if got := evalStr(t, p, black); got != "none" {
			t.Errorf("blackout before b: display %q", got)
		}
		press(t, p, 'b')
		if got := evalStr(t, p, black); got != "block" {
			t.Errorf("after b: display %q, want block", got)
		}
		press(t, p, 'b')
		if got := evalStr(t, p, black); got != "none" {
			t.Errorf("after b b: display %q, want none", got)
		}
		press(t, p, 'f')
		waitFor(t, p, "document.fullscreenElement === document.documentElement")
		press(t, p, 'f')
		waitFor(t, p, "document.fullscreenElement === null")
		press(t, p, '?')
		if got := evalStr(t, p, "getComputedStyle(document.querySelector('.foil-help')).display"); got != "flex" {
			t.Errorf("after ?: help display %q, want flex", got)
		}
		if got := evalStr(t, p, "document.querySelector('.foil-help').textContent"); !strings.Contains(got, "overview") {
			t.Errorf("help text %q lacks the keys", got)
		}
		press(t, p, input.Escape)
		if got := evalStr(t, p, "getComputedStyle(document.querySelector('.foil-help')).display"); got != "none" {
			t.Errorf("after Esc: help display %q, want none", got)
		}
	})

	t.Run("swipe and click", func(t *testing.T) {
		p := open(t, b, deck+"#4")
		if err := (proto.EmulationSetTouchEmulationEnabled{Enabled: true, MaxTouchPoints: gson(1)}).Call(p); err != nil {
			t.Fatal(err)
		}
		swipe := func(x0, x1 float64) {
			t.Helper()
			pt := func(x float64) *proto.InputTouchPoint { return &proto.InputTouchPoint{X: x, Y: 300} }
			if err := p.Touch.Start(pt(x0)); err != nil {
				t.Fatal(err)
			}
			for _, x := range []float64{x0 + (x1-x0)/3, x0 + 2*(x1-x0)/3, x1} {
				if err := p.Touch.Move(pt(x)); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Touch.End(); err != nil {
				t.Fatal(err)
			}
		}
		swipe(900, 300)
		waitFor(t, p, "foil.current() === 5")
		swipe(300, 900)
		waitFor(t, p, "foil.current() === 4")
		if err := (proto.EmulationSetTouchEmulationEnabled{Enabled: false}).Call(p); err != nil {
			t.Fatal(err)
		}
		click := func(x float64) {
			t.Helper()
			if err := p.Mouse.MoveTo(proto.Point{X: x, Y: 400}); err != nil {
				t.Fatal(err)
			}
			if err := p.Mouse.Click(proto.InputMouseButtonLeft, 1); err != nil {
				t.Fatal(err)
			}
		}
		click(1000)
		waitFor(t, p, "foil.current() === 5")
		click(50)
		waitFor(t, p, "foil.current() === 4")
	})

	t.Run("print and reduced motion", func(t *testing.T) {
		p := open(t, b, deck+"#3")
		press(t, p, 'b') // blackout and the progress bar must not print
		transition := "getComputedStyle(document.querySelector('.foil-progress > div')).transitionDuration"
		if got := evalStr(t, p, transition); got != "0.2s" {
			t.Errorf("progress transition %q, want 0.2s", got)
		}
		if err := (proto.EmulationSetEmulatedMedia{Features: []*proto.EmulationMediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}).Call(p); err != nil {
			t.Fatal(err)
		}
		if got := evalStr(t, p, transition); got != "0s" {
			t.Errorf("reduced motion: progress transition %q, want 0s", got)
		}
		if err := (proto.EmulationSetEmulatedMedia{Media: "print"}).Call(p); err != nil {
			t.Fatal(err)
		}
		var got struct{ Shown, Total, UI int }
		eval(t, p, `({
			Shown: [...document.querySelectorAll('main.deck > section.slide')].filter(s => getComputedStyle(s).display === 'flex').length,
			Total: foil.total(),
			UI: [...document.querySelectorAll('.foil-progress, .foil-black, .foil-help, .foil-jump')].filter(e => getComputedStyle(e).display !== 'none').length,
		})`, &got)
		if got.Shown != got.Total || got.UI != 0 {
			t.Errorf("print: %d of %d slides shown, %d UI elements visible", got.Shown, got.Total, got.UI)
		}
	})

	t.Run("presenter", func(t *testing.T) {
		testPresenter(t, b, deck)
	})

	// Two windows opened separately (no opener to postMessage to) follow
	// each other through BroadcastChannel alone, from file:// too.
	t.Run("presenter without opener", func(t *testing.T) {
		aud := open(t, b, deck+"#2")
		pres := open(t, b, strings.Replace(deck, ".html", ".html?presenter", 1)+"#2")
		if got := evalStr(t, pres, "document.querySelector('.foil-pacing-item').textContent"); got != "19:00 Welcome!" {
			t.Errorf("pacing item on the agenda slide = %q, want 19:00 Welcome!", got)
		}
		press(t, pres, input.ArrowRight)
		waitFor(t, aud, "foil.current() === 3")
		press(t, aud, input.End)
		waitFor(t, pres, "foil.current() === foil.total()")
	})
}

func gson(n int) *int { return &n }

// testPresenter opens the presenter view with p from an audience window
// and checks the views follow each other and the pacing line.
func testPresenter(t *testing.T, b *rod.Browser, deck string) {
	aud := open(t, b, deck+"#1")
	wait := aud.WaitOpen()
	press(t, aud, 'p')
	pres, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pres.Close() })
	pres.Timeout(10 * time.Second).WaitLoad()
	waitFor(t, pres, "window.foil && document.querySelector('.foil-presenter')")
	if got := evalStr(t, pres, "location.search + location.hash"); got != "?presenter#1" {
		t.Errorf("presenter URL ends %q, want ?presenter#1", got)
	}

	// shows reads what the presenter view shows: current and next slide
	// (by their source line) and the notes.
	type view struct {
		Current, Next, Notes, Position string
	}
	line := func(n int) string {
		return evalStr(t, aud, fmt.Sprintf("document.getElementById('slide-%d').dataset.line", n))
	}
	shows := func() view {
		var v view
		eval(t, pres, `({
			Current: document.querySelector('.foil-p-current .slide').dataset.line,
			Next: (document.querySelector('.foil-p-next .slide') || {dataset: {}}).dataset.line || '',
			Notes: document.querySelector('.foil-notes').textContent.trim(),
			Position: document.querySelector('.foil-p-position').textContent,
		})`, &v)
		return v
	}
	v := shows()
	if v.Current != line(1) || v.Next != line(2) {
		t.Errorf("presenter at 1 shows lines %s and %s, want %s and %s", v.Current, v.Next, line(1), line(2))
	}
	if !strings.HasPrefix(v.Notes, "Welcome everyone and say thanks") {
		t.Errorf("notes of slide 1 = %q", v.Notes)
	}
	total := evalInt(t, aud, "foil.total()")
	if want := "Slide 1 of " + strconv.Itoa(total); v.Position != want {
		t.Errorf("position %q, want %q", v.Position, want)
	}
	if got := evalStr(t, pres, "document.querySelector('.foil-elapsed').textContent"); !strings.HasPrefix(got, "00:0") {
		t.Errorf("elapsed %q, want a running timer near 00:00", got)
	}

	// The timer: reset, run, pause, resume, on an injected clock.
	timer := func(js string) string {
		t.Helper()
		return evalStr(t, pres, `(() => {
			const [reset, pause] = [...document.querySelectorAll('.foil-p-timer button')].reverse();
			const at = s => { foil.now = () => 1e12 + s * 1000; };
			`+js+`;
			foil.tick();
			return document.querySelector('.foil-elapsed').textContent + ' ' + pause.textContent;
		})()`)
	}
	timerTests := []struct{ js, want string }{
		{"at(0); reset.click()", "00:00 Pause"},
		{"at(65)", "01:05 Pause"},
		{"pause.click(); at(125)", "01:05 Start"},
		{"pause.click(); at(185)", "02:05 Pause"},
		{"at(3725)", "1:01:05 Pause"},
		{"pause.click(); reset.click()", "00:00 Start"},
		{"pause.click(); at(3735)", "00:10 Pause"},
	}
	for _, tt := range timerTests {
		if got := timer(tt.js); got != tt.want {
			t.Errorf("timer after %s: %q, want %q", tt.js, got, tt.want)
		}
	}

	// Presenter drives the audience.
	press(t, pres, input.ArrowRight, input.ArrowRight, input.ArrowRight)
	waitFor(t, aud, "foil.current() === 4")
	if got := hash(t, aud); got != "#4" {
		t.Errorf("audience hash %q, want #4", got)
	}
	v = shows()
	if v.Current != line(4) || v.Next != line(5) {
		t.Errorf("presenter at 4 shows lines %s and %s, want %s and %s", v.Current, v.Next, line(4), line(5))
	}
	if !strings.HasPrefix(v.Notes, "Most people rated") {
		t.Errorf("notes of slide 4 = %q", v.Notes)
	}
	// And the audience drives the presenter.
	press(t, aud, input.ArrowLeft)
	waitFor(t, pres, "foil.current() === 3")
	if v := shows(); v.Current != line(3) || v.Notes != "No notes for this slide." {
		t.Errorf("presenter after audience ←: %+v, want line %s without notes", v, line(3))
	}
	press(t, aud, input.End)
	waitFor(t, pres, "foil.current() === foil.total()")
	if v := shows(); v.Next != "" {
		t.Errorf("next after the last slide = line %q, want none", v.Next)
	}
	// b in the presenter blanks the audience.
	press(t, pres, 'b')
	waitFor(t, aud, "document.documentElement.classList.contains('blackout')")
	press(t, pres, 'b')
	waitFor(t, aud, "!document.documentElement.classList.contains('blackout')")

	// Pacing. Talk 1 (19:15) starts on the talk card; the next item, the
	// break, is planned for 19:45.
	var talk1 int
	eval(t, pres, `JSON.parse(document.getElementById('foil-schedule').textContent).find(i => i.text.startsWith('Talk 1')).slide`, &talk1)
	if talk1 == 0 {
		t.Fatal("Talk 1 has no slide in the schedule")
	}
	tests := []struct {
		name, start, now string
		want, state      string
	}{
		{"behind", "", "19:50", "5 min behind", "behind"},
		{"ahead", "", "19:10", "5 min ahead", "ahead"},
		{"on time", "", "19:30", "on time · 15 min left", "on-time"},
		{"late start shifts", "19:10", "19:50", "on time · 5 min left", "on-time"},
		{"late start, behind", "19:10", "20:05", "10 min behind", "behind"},
		{"hours off", "", "05:11", "set the start time to see the pace", "off"},
	}
	for _, tt := range tests {
		js := fmt.Sprintf(`(() => {
			const [h, m] = %q.split(':').map(Number);
			const d = new Date(); d.setHours(h, m, 0, 0);
			foil.now = () => d.getTime();
			const s = document.querySelector('.foil-pacing-start input');
			s.value = %q || '19:00';
			s.dispatchEvent(new Event('change'));
			foil.go(%d); foil.tick();
			const delta = document.querySelector('.foil-pacing-delta');
			return [document.querySelector('.foil-pacing-item').textContent, delta.textContent, delta.dataset.state];
		})()`, tt.now, tt.start, talk1)
		var got []string
		eval(t, pres, js, &got)
		if len(got) != 3 || got[0] != "19:15 Talk 1 - Maximilian Schaugg" || got[1] != tt.want || got[2] != tt.state {
			t.Errorf("%s: pacing = %q, want [19:15 Talk 1 - Maximilian Schaugg %q %q]", tt.name, got, tt.want, tt.state)
		}
	}
	if got := evalStr(t, pres, "document.querySelector('.foil-clock').textContent"); got != "05:11" {
		t.Errorf("clock %q, want 05:11 from foil.now", got)
	}
}
