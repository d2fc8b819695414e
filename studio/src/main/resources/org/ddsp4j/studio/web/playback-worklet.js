// AudioWorklet processor: plays blocks the page posts (the server's audio) through a jitter buffer.
// Playback starts once `prime` samples are queued, so blocks that arrive a little late do not click;
// when the queue runs dry it outputs silence, counts an under-run and waits to be primed again.
// If more than `capacity` samples pile up (the network stalled, then caught up) the oldest are dropped,
// which keeps the delay bounded.
class PlaybackProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions || {};
    this.capacity = o.capacity || 16384;
    this.prime = o.prime || 512;
    this.ring = new Float32Array(this.capacity);
    this.read = 0;
    this.size = 0;
    this.playing = false;
    this.underruns = 0;
    this.dropped = 0;
    this.sinceReport = 0;
    this.port.onmessage = (e) => this.push(e.data);
  }

  push(block) {
    const cap = this.capacity;
    for (let i = 0; i < block.length; i++) {
      if (this.size === cap) { // full: forget the oldest sample
        this.read = (this.read + 1) % cap;
        this.size--;
        this.dropped++;
      }
      this.ring[(this.read + this.size) % cap] = block[i];
      this.size++;
    }
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    if (!this.playing && this.size >= this.prime) this.playing = true;
    for (let i = 0; i < out.length; i++) {
      if (this.playing && this.size > 0) {
        out[i] = this.ring[this.read];
        this.read = (this.read + 1) % this.capacity;
        this.size--;
      } else {
        out[i] = 0;
        if (this.playing) { this.playing = false; this.underruns++; }
      }
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate / 4) {
      this.sinceReport = 0;
      this.port.postMessage({buffered: this.size, underruns: this.underruns, dropped: this.dropped});
    }
    return true;
  }
}

registerProcessor('playback', PlaybackProcessor);
