import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * On a phone the open panel fills the visual viewport, so that the composer
 * stays above the on-screen keyboard (which shrinks the visual viewport, not
 * the layout one): the host gets `--_vv-height` and `--_vv-top` while following.
 */
export class ViewportController implements ReactiveController {
  #following = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** Follows the visual viewport while `on` (the panel is open). */
  follow(on: boolean): void {
    if (on === this.#following) return;
    this.#following = on;
    const vv = window.visualViewport;
    const method = on ? 'addEventListener' : 'removeEventListener';
    vv?.[method]('resize', this.#update);
    vv?.[method]('scroll', this.#update);
    if (on) this.#update();
  }

  hostDisconnected(): void {
    this.follow(false);
  }

  #update = () => {
    const vv = window.visualViewport;
    if (!vv) return;
    this.host.style.setProperty('--_vv-height', `${vv.height}px`);
    this.host.style.setProperty('--_vv-top', `${vv.offsetTop}px`);
  };
}
