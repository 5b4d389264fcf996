/** A page's frame: where it sits (breadcrumb), its title with a line under it and actions beside it, then content. */
import { Fragment, type ReactNode } from 'react';

export function PageHeader({
  title,
  subtitle,
  actions,
  className,
  titleTestId,
  children,
}: {
  title: ReactNode;
  /** The muted line under the title. */
  subtitle?: ReactNode;
  /** Buttons and filters on the right. */
  actions?: ReactNode;
  /** Classes besides `page-header`. */
  className?: string;
  titleTestId?: string;
  /** More under the title, for what is not a line of text. */
  children?: ReactNode;
}) {
  return (
    <header className={className ? `page-header ${className}` : 'page-header'}>
      <div>
        <h1 data-testid={titleTestId}>{title}</h1>
        {subtitle !== undefined && <p className="muted">{subtitle}</p>}
        {children}
      </div>
      {actions && <div className="page-header-actions">{actions}</div>}
    </header>
  );
}

/** The trail to a page, each step separated by a chevron; the last step is where the user is. */
export function Breadcrumb({ steps }: { steps: ReactNode[] }) {
  return (
    <div className="breadcrumb">
      {steps.map((step, i) => (
        <Fragment key={i}>
          {i > 0 && <span aria-hidden="true">›</span>}
          {step}
        </Fragment>
      ))}
    </div>
  );
}

export function Page({
  title,
  subtitle,
  actions,
  className,
  testId,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  /** Classes besides `page`. */
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className={className ? `page ${className}` : 'page'} data-testid={testId}>
      <PageHeader title={title} subtitle={subtitle} actions={actions} />
      {children}
    </div>
  );
}
