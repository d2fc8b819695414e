// AudioWorklet processor: hands the microphone's first channel to the page in blocks of `block` samples,
// at the AudioContext's rate. Runs on the audio rendering thread; transfers each block's buffer (no copy).
class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.block = (options.processorOptions && options.processorOptions.block) || 256;
    this.buf = new Float32Array(this.block);
    this.n = 0;
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      for (let i = 0; i < ch.length; i++) {
        this.buf[this.n++] = ch[i];
        if (this.n === this.block) {
          this.port.postMessage(this.buf, [this.buf.buffer]);
          this.buf = new Float32Array(this.block);
          this.n = 0;
        }
      }
    }
    return true; // keep running while the page holds the node
  }
}

registerProcessor('capture', CaptureProcessor);
