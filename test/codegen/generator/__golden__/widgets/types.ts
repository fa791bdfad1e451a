// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
/** Who owns a widget. */
export interface Owner {
  /** Numeric id. (`int`) */
  readonly owner_id: number;
  /** The owner's token (has a *\/ in its doc on purpose). (`str`, secret: redacted from logs and hooks) */
  readonly api_token: string;
}

/** A widget. */
export interface Widget {
  /** `int`. */
  readonly widget_id: number;
  /** The name, if any. (`str | None`) */
  readonly name: string | null;
  /** Its owner. (`Owner`) */
  readonly owner: Owner;
  /** Tags. (`list[str]`) */
  readonly tags: string[];
  /** One of two colors. (`'red' | 'green'`) */
  readonly color: 'red' | 'green';
  /** A key that is not an identifier. (Optional, `Any`) */
  readonly 'x-legacy'?: NonNullable<unknown> | undefined;
}

/** The body of `widget-new`: Make a widget. */
export interface WidgetNewBody {
  /** The widget's name. (`str`) */
  readonly name: string;
  /** The owner's password. (`str`, secret: redacted from logs and hooks) */
  readonly owner_password: string;
  /** How big. (`float | int`) */
  readonly size: number;
  /** When it was made. (`datetime`: a `Date`, sent in the server's datetime format, or a string in that format) */
  readonly made: string | Date;
  /** Anything else. (Optional, `dict | None`) */
  readonly extra?: Record<string, unknown> | null | undefined;
  /** When it is due. (Optional, `datetime | None`: a `Date`, sent in the server's datetime format, or a string in that format) */
  readonly due?: string | Date | null | undefined;
  /** Labels. (Optional, `list[str] | None`) */
  readonly labels?: readonly string[] | null | undefined;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `widget-new` on success. */
export interface WidgetNewSuccess {
  /** The new widget. (`Widget`) */
  readonly widget: Widget;
  /** The owner as a JSON string. (`json[Owner]`, secret: redacted from logs and hooks) */
  readonly token: string;
}

/** The reply of `widget-new` when the server turns it down (`failure: 'rejected'`). */
export interface WidgetNewFailure {
  /** Null when there is one. (Optional, `None`) */
  readonly widget?: null | undefined;
}

/** The body of `widget-get`: Read a widget. */
export interface WidgetGetBody {
  /** Which widget. (`int`) */
  readonly widget_id: number;
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `widget-get` on success. */
export interface WidgetGetSuccess {
  /** `list[Widget]`. */
  readonly widgets: Widget[];
}

/** The reply of `widget-get` when the server turns it down (`failure: 'rejected'`). */
export interface WidgetGetFailure {}

/** The body of `widget-ping`: Do nothing. */
export interface WidgetPingBody {
  /** IP address of the end user this request is made for: the server rate-limits by it. Required in every body. (`str`) */
  readonly client_ipaddr: string;
}

/** The reply of `widget-ping` on success. */
export interface WidgetPingSuccess {}

/** The reply of `widget-ping` when the server turns it down (`failure: 'rejected'`). */
export interface WidgetPingFailure {}

/** Every request type of the widgets catalogue, by wire name: its body and reply types. */
export interface WidgetsRequests {
  readonly 'widget-new': {
    readonly body: WidgetNewBody;
    readonly success: WidgetNewSuccess;
    readonly failure: WidgetNewFailure;
  };
  readonly 'widget-get': {
    readonly body: WidgetGetBody;
    readonly success: WidgetGetSuccess;
    readonly failure: WidgetGetFailure;
  };
  readonly 'widget-ping': {
    readonly body: WidgetPingBody;
    readonly success: WidgetPingSuccess;
    readonly failure: WidgetPingFailure;
  };
}
