/* Hold, rest and exercise timers of the session player (templates/participant/_card.html).

   An enhancement only: without this file the card shows the dose and the form takes the answers. With it, the
   hidden [data-timers] section appears; each [data-timer] counts down its data-seconds after a visible and
   audible get-ready (3, 2, 1), and ends with a visible and audible cue. The timers never submit or move the
   form on: the person answers when they are ready (no time limits). Start and Pause are the same large button;
   Reset starts again. Sounds (Web Audio, made here, no file) play only after a button press, never by
   themselves, and the "Sound on" box turns them off (remembered on this device). Changes are announced
   politely through the [data-announce] live region: the start, the end and a pause, not every second. People
   who ask for reduced motion get no cue animation (player.css). */
(function (window, document) {
  "use strict";

  var READY_SECONDS = 3;
  var SOUND_KEY = "neuromotrix.timerSound";
  var audio = null;

  function soundWanted(section) {
    var box = section.querySelector("[data-sound]");
    return !box || box.checked;
  }

  function beep(section, frequency, seconds) {
    if (!soundWanted(section)) {
      return;
    }
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") {
        audio.resume();
      }
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var now = audio.currentTime;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(now);
      oscillator.stop(now + seconds + 0.05);
    } catch (error) {
      audio = null; // no sound on this device: the visible cues remain
    }
  }

  function clock(seconds) {
    if (seconds < 60) {
      return String(seconds);
    }
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function cue(element) {
    element.classList.remove("timer-cue");
    void element.offsetWidth; // restart the animation
    element.classList.add("timer-cue");
  }

  function setUpTimer(section, timer) {
    var text = section.dataset;
    var total = parseInt(timer.dataset.seconds, 10) || 0;
    var count = parseInt(timer.dataset.count || "0", 10);
    var display = timer.querySelector("[data-display]");
    var stateLine = timer.querySelector("[data-state]");
    var startButton = timer.querySelector("[data-start]");
    var resetButton = timer.querySelector("[data-reset]");
    var countDisplay = timer.querySelector("[data-count-display]");
    var announce = section.querySelector("[data-announce]");
    var name = timer.querySelector(".timer-name").textContent;
    var state = { phase: "idle", left: total, ready: READY_SECONDS, endsAt: 0, ticker: null, done: 0 };

    function say(state) {
      var message = text.textFormat.replace("{timer}", name).replace("{state}", state);
      if (announce) {
        announce.textContent = "";
        window.setTimeout(function () { announce.textContent = message; }, 50);
      }
    }

    function showCount() {
      if (countDisplay && count) {
        countDisplay.textContent = countDisplay.dataset.template
          .replace("{done}", String(state.done)).replace("{total}", String(count));
      }
    }

    function show() {
      display.classList.toggle("is-ready", state.phase === "ready");
      display.classList.toggle("is-done", state.phase === "done");
      display.textContent = state.phase === "ready" ? String(state.ready) : clock(state.left);
      stateLine.textContent = {ready: text.textReady, running: text.textGo, paused: text.textPaused,
        done: text.textDone}[state.phase] || "";
      var running = state.phase === "ready" || state.phase === "running";
      startButton.textContent = running ? text.textPause
        : (state.phase === "paused" ? text.textResume : text.textStart);
    }

    function stopTicking() {
      if (state.ticker !== null) {
        window.clearInterval(state.ticker);
        state.ticker = null;
      }
    }

    function finish() {
      stopTicking();
      state.phase = "done";
      state.left = 0;
      state.done = Math.min(count || 0, state.done + 1);
      show();
      showCount();
      cue(display);
      beep(section, 660, 0.25);
      window.setTimeout(function () { beep(section, 880, 0.6); }, 300);
      say(text.textDone);
    }

    function tick() {
      var now = Date.now();
      if (state.phase === "ready") {
        var readyLeft = Math.ceil((state.endsAt - now) / 1000);
        if (readyLeft <= 0) {
          state.phase = "running";
          state.endsAt = now + state.left * 1000;
          show();
          cue(display);
          beep(section, 880, 0.5);
          say(text.textGo);
        } else if (readyLeft !== state.ready) {
          state.ready = readyLeft;
          show();
          beep(section, 440, 0.15);
        }
        return;
      }
      var left = Math.max(0, Math.ceil((state.endsAt - now) / 1000));
      if (left !== state.left) {
        state.left = left;
        show();
      }
      if (left === 0) {
        finish();
      }
    }

    function begin() {
      if (state.phase === "done") {
        state.left = total;
      }
      if (state.phase === "idle" || state.phase === "done") {
        state.phase = "ready";
        state.ready = READY_SECONDS;
        state.endsAt = Date.now() + READY_SECONDS * 1000;
        beep(section, 440, 0.15);
        say(text.textReady);
      } else {
        state.phase = "running";
        state.endsAt = Date.now() + state.left * 1000;
        say(text.textGo);
      }
      show();
      stopTicking();
      state.ticker = window.setInterval(tick, 200);
    }

    function pause() {
      stopTicking();
      if (state.phase === "running") {
        state.left = Math.max(1, Math.ceil((state.endsAt - Date.now()) / 1000));
      }
      state.phase = state.phase === "ready" ? "idle" : "paused";
      show();
      say(text.textPaused);
    }

    startButton.addEventListener("click", function () {
      if (state.phase === "ready" || state.phase === "running") {
        pause();
      } else {
        begin();
      }
    });
    resetButton.addEventListener("click", function () {
      stopTicking();
      state.phase = "idle";
      state.left = total;
      show();
    });
    show();
    showCount();
  }

  function timers(root) {
    var sections = root.querySelectorAll("[data-timers]");
    Array.prototype.forEach.call(sections, function (section) {
      var sound = section.querySelector("[data-sound]");
      if (sound) {
        try {
          sound.checked = window.localStorage.getItem(SOUND_KEY) !== "off";
        } catch (error) {
          sound.checked = true;
        }
        sound.addEventListener("change", function () {
          try {
            window.localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off");
          } catch (error) {
            /* storage refused: the choice lasts for this page */
          }
        });
      }
      Array.prototype.forEach.call(section.querySelectorAll("[data-timer]"), function (timer) {
        setUpTimer(section, timer);
      });
      section.hidden = false;
    });
  }

  window.NeuroMotrix.register(timers);
}(window, document));
